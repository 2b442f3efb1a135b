// Package access is the one place that decides who may call what and who
// sees what. Authentication only puts a Principal into the context; the
// GraphQL layer and the stores ask this package and never decide themselves.
// These are all the rules.
//
// Who may call what
//
//  1. A principal has a profile (AUTHORITY, PRIVATE, LANDLORD, ADMIN, CITIZEN) that
//     caps its scopes: a scope outside the profile's ceiling has no effect
//     (allowed, GrantScopes).
//  2. Every root field asks Authorize for its operation first: no principal
//     is UNAUTHENTICATED, a missing scope FORBIDDEN.
//  3. Scopes apply to every field path, not only to root fields
//     (AuthorizeField, fields.go): a Person reached under any root shows its
//     identity fields under that root's scope; its other fields need the
//     scope of the operation that serves them at the root (addressHistory
//     needs address_history, household needs household, master data needs
//     person). A Person field without a rule is refused.
//
// Who is protected
//
//  4. Name-and-address protection is decided in one place, the database's
//     name_address_protected (migration 00070), which every query that
//     reads, searches, lists or streams persons selects, and Subject
//     reports: a person is protected when ANY source is in force today in
//     Denmark — personkontakt's navne- og adressebeskyttelse or person's
//     navnebeskyttelse — on ANY of the person's CPR numbers (its current
//     number, the old records pointing to it, its historiskepersonnumre), so
//     old and new numbers share the strictest protection. An old record
//     whose new number is not in the register is protected (fail closed), as
//     is a record with a delete date and no start.
//
// What a caller sees of a protected person
//
//  5. Only AUTHORITY sees protected persons (SeesProtected). For everyone
//     else a protected subject answers only the fields the schema marks
//     @unmasked (Masks); its name, address, new number and their dates are
//     null. A relative or household member is masked by its own protection.
//  6. Where a protected person appears because of where they live — a
//     household member, a landlord row — it is an anonymous marker: no CPR
//     number, no relation code, no name, no dwelling.
//  7. A masked subject has no place in an ordering that depends on its
//     protected facts: masked subjects come last (MaskedLast), landlord
//     markers ordered by their dates alone (LandlordRows).
//  8. A search that places persons leaves protected persons out
//     (SearchExcludesProtected): PersonSøg by name and address, and a
//     birth-date circle narrowed to a municipality.
//  9. A derived answer computed from several persons' facts — sharedAddress,
//     cohabitation — is WITHHELD when a protected person takes part
//     (WithholdDerived), whatever it would have been: a yes/no or a date
//     over windows of the caller's choosing would recover the protected
//     facts.
//  10. A landlord lookup of one dwelling leaves protected residents out; a
//     stairwell shows them as dated markers (LandlordRows).
//  11. Protection is judged today in every view: a read as of a past day
//     (asOf) or as registered at a past instant (knownAt) masks, leaves out
//     and withholds exactly as a read of the register as it stands, so no
//     view reveals a person protected now (db.View).
//
// What a replaced number shows
//
//  12. A CPR number that was replaced (omplaceret) answers with the new
//     number only, for every profile (WithholdsReplaced, seed 001's
//     MultiHent); rule 5 still masks the new number of a protected person.
//
// How much a caller may read
//
//  13. A request reads at most PersonBudget (100) distinct persons across all
//     its fields and aliases: refused before execution when its arguments
//     name more (CheckPersonBudget), else at the 101st person reached
//     (Record.AddCPR): PERSON_BUDGET_EXCEEDED.
//  14. A person search answers at most MaxSearchHits (9) persons and says
//     when more match; it does not page.
//  15. An API client with a daily quota makes at most that many requests per
//     Danish calendar day (QuotaDay, ErrQuotaExceeded): QUOTA_EXCEEDED.
//  16. A LANDLORD acts only for its organisation's owner links as they are
//     now (read from the primary), narrowed by its JWT's owners claim
//     (Principal.OwnerNumbers, RepresentsOwner): OWNER_NOT_LINKED.
//
// The audit log
//
//  17. Every subject a response touched is recorded in the request's audit
//     row (Record), masked ones too, so that a protected person's "who
//     looked me up" is complete.
//  18. A reader of the audit log who may not see protected persons sees no
//     protected person's number in it (AuditNumbersShown) and gets no
//     protected person's log (AuditLookupOf): which lookups touched a
//     protected person would tell whom it lives with.
//  19. A CITIZEN (a JWT with profile CITIZEN whose subject is a valid CPR
//     number, the citizen's own) may call only myLookups (scope
//     my_lookups): the organisation, purpose and time of every audit row
//     that holds its own number (OwnNumber), masked reads included, and
//     nothing else of those rows: no client, request, operation or other
//     CPR number. A CITIZEN API client has no number of its own and lists
//     nothing. Its own myLookups calls write audit rows without its number,
//     so they are not among its lookups.
//
// Purposes
//
//  20. An API client restricted to registered purposes (api_client.purposes,
//     set by `cprgraph admin client-purposes`) states one of them in
//     X-Purpose or its websocket's connection_init, compared after
//     CleanPurpose; otherwise Authorize refuses every operation with
//     PURPOSE_NOT_REGISTERED before it reads. A client without a list, and
//     every JWT principal, may state any purpose.
//
// Together these make the answer to a caller other than AUTHORITY
// independent of protected persons' secret facts (names, addresses, address
// histories, move dates): e2e/noninterference_test.go checks it for every
// root field of the schema.
package access
