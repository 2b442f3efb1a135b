// Runs the graphql-http server audits (the GraphQL-over-HTTP specification's
// MUST, SHOULD and MAY requirements) against a running server:
//
//   node audit.mjs URL            e.g. http://127.0.0.1:8080/graphql
//
// AUDIT_API_KEY, when set, is sent as X-API-Key with every request, so the
// documents that are not public (invalid ones, mutations) reach GraphQL
// instead of being refused as unauthenticated. Prints one line per audit and
// a summary; exits 1 when any MUST requirement fails.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}
const apiKey = process.env.AUDIT_API_KEY;
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (apiKey) headers.set('x-api-key', apiKey);
  return fetch(input, { ...init, headers });
};

const results = await auditServer({ url, fetchFn });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const r of results) {
  counts[r.status]++;
  const reason = r.status === 'ok' ? '' : ` — ${r.reason}`;
  console.log(`${r.status.padEnd(6)} ${r.id} ${r.name}${reason}`);
}
const mustFailures = counts.error;
console.log(
  `graphql-http audit: ${counts.ok} ok, ${mustFailures} MUST failures, ` +
    `${counts.warn} SHOULD failures, ${counts.notice} MAY notices`,
);
process.exit(mustFailures > 0 ? 1 : 0);
