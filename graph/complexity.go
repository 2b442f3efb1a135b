package graph

import "cprgraph/graph/model"

// complexity holds the fields whose cost the complexity limit may not take
// from the default (see listCost).
func complexity() ComplexityRoot {
	var c ComplexityRoot
	// A page of change events is one indexed query and an event holds no
	// lists or relations, so the page costs what one event costs; `first`
	// is bounded by db.MaxEventPage.
	c.Query.PersonEvents = func(child int, _ *model.PersonEventFilter, _ *int, _ *string) int { return 1 + child }
	return c
}
