package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"cprgraph/access"
)

// TestGraphQLOverHTTPAudit runs the graphql-http audit suite
// (tools/graphql-http-audit) against the server, anonymously and with an
// API key, and fails on any MUST failure — and, with a key, on any SHOULD
// failure. It needs node and `npm ci --prefix tools/graphql-http-audit`
// (.ci/run does it).
func TestGraphQLOverHTTPAudit(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("tools", "graphql-http-audit")
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-http")); err != nil {
		t.Skip("run `npm ci --prefix tools/graphql-http-audit` first")
	}
	env := newTestEnv(t)
	for name, key := range map[string]string{"anonymous": "", "with key": env.Keys[access.Admin]} {
		cmd := exec.Command("node", "audit.mjs", env.URL+"/graphql")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "AUDIT_API_KEY="+key)
		out, err := cmd.CombinedOutput()
		t.Logf("%s:\n%s", name, out)
		if err != nil {
			t.Errorf("%s: %v (MUST failures above)", name, err)
		}
		if key != "" && !strings.Contains(string(out), " 0 SHOULD failures") {
			t.Errorf("%s: SHOULD failures", name)
		}
	}
}
