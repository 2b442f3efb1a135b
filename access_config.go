package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"cprgraph/auth"
)

// accessConfig is the part of config about who may call and how much.
type accessConfig struct {
	GraphiQL       bool           // GRAPHIQL, default true: serve the IDE at /
	AllowAnonymous bool           // ALLOW_ANONYMOUS_INTROSPECTION, default true
	JWT            auth.JWTConfig // JWT_HS256_SECRET, JWT_PUBLIC_KEYS_FILE, JWT_ISSUER, JWT_AUDIENCE
	MaxQueryDepth  int            // MAX_QUERY_DEPTH, default 12 (0: none)
	MaxComplexity  int            // MAX_QUERY_COMPLEXITY, default 10000 (0: none)
	MaxBodyBytes   int64          // MAX_BODY_BYTES, default 1 MiB
	RateLimitRPS   float64        // RATE_LIMIT_RPS per client, default 50 (0: none)
	RateLimitBurst int            // RATE_LIMIT_BURST, default 100
}

func loadAccessConfig() (accessConfig, error) {
	c := accessConfig{JWT: auth.JWTConfig{
		HS256Secret: []byte(os.Getenv("JWT_HS256_SECRET")),
		Issuer:      os.Getenv("JWT_ISSUER"),
		Audience:    os.Getenv("JWT_AUDIENCE"),
	}}
	err := errors.Join(
		envParse("GRAPHIQL", &c.GraphiQL, true, strconv.ParseBool),
		envParse("ALLOW_ANONYMOUS_INTROSPECTION", &c.AllowAnonymous, true, strconv.ParseBool),
		envParse("MAX_QUERY_DEPTH", &c.MaxQueryDepth, 12, strconv.Atoi),
		envParse("MAX_QUERY_COMPLEXITY", &c.MaxComplexity, 10000, strconv.Atoi),
		envParse("MAX_BODY_BYTES", &c.MaxBodyBytes, 1<<20, func(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }),
		envParse("RATE_LIMIT_RPS", &c.RateLimitRPS, 50, func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }),
		envParse("RATE_LIMIT_BURST", &c.RateLimitBurst, 100, strconv.Atoi),
	)
	if err != nil {
		return c, err
	}
	if file := os.Getenv("JWT_PUBLIC_KEYS_FILE"); file != "" {
		data, err := os.ReadFile(file)
		if err == nil {
			c.JWT.PublicKeys, err = auth.ParsePublicKeys(data)
		}
		if err != nil {
			return c, fmt.Errorf("JWT_PUBLIC_KEYS_FILE: %w", err)
		}
	}
	return c, nil
}

// envParse sets *dst from the environment variable key, or to def when it
// is unset.
func envParse[T any](key string, dst *T, def T, parse func(string) (T, error)) error {
	v := os.Getenv(key)
	if v == "" {
		*dst = def
		return nil
	}
	var err error
	if *dst, err = parse(v); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}
