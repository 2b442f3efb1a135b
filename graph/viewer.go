package graph

import (
	"context"
	"strconv"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/graph/model"
)

// viewer describes the principal p to itself: its organisation's name read
// from the primary (NOT_FOUND for a JWT's unregistered organisation gives
// null) and, for a LANDLORD, the owner numbers it may look up, as the
// residents query decides them.
func (r *Resolver) viewer(ctx context.Context, p *access.Principal) (*model.Viewer, error) {
	v := &model.Viewer{
		ClientName:     p.ClientName,
		OrganisationID: strconv.FormatInt(p.OrganisationID, 10),
		Profile:        model.Profile(p.Profile),
		Scopes:         append([]string{}, p.Scopes...),
		OwnerNumbers:   []string{},
	}
	org, err := r.Store.Clients.OrganisationByID(ctx, p.OrganisationID)
	switch {
	case err == nil:
		v.OrganisationName = &org.Name
	case apperr.CodeOf(err) != apperr.NotFound:
		return nil, err
	}
	if p.Profile == access.Landlord {
		links, err := r.Store.Clients.OwnerNumbers(ctx, p.OrganisationID)
		if err != nil {
			return nil, err
		}
		v.OwnerNumbers = append(v.OwnerNumbers, p.OwnerNumbers(links)...)
	}
	return v, nil
}
