// Command print writes the server's GraphQL schema in SDL (go generate in
// package schema runs it).
package main

import (
	"flag"
	"log"
	"os"

	"cprgraph/graph"
	"cprgraph/schema"
)

func main() {
	out := flag.String("o", "schema.graphql", "file to write")
	flag.Parse()
	sdl := schema.Print(graph.NewExecutableSchema(graph.Config{}).Schema())
	if err := os.WriteFile(*out, []byte(sdl), 0o644); err != nil {
		log.Fatal(err)
	}
}
