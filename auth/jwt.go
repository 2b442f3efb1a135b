package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/cpr"
)

// JWTConfig says which bearer JWTs are accepted: signed with the HS256
// secret or by one of the public keys, carrying exp, and, when set, with the
// issuer and audience.
type JWTConfig struct {
	HS256Secret []byte
	PublicKeys  []any // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
	Issuer      string
	Audience    string
	Leeway      time.Duration // how long after exp (and before nbf) a token is still accepted
}

// Enabled reports whether any key is configured.
func (c JWTConfig) Enabled() bool { return len(c.HS256Secret) > 0 || len(c.PublicKeys) > 0 }

// Claims are the claims of a bearer JWT: sub names the client, org is the
// organisation id, profile the disclosure profile, scope the space-separated
// operations (absent: every operation of the profile), owners narrows a
// LANDLORD to these of its organisation's owner links (absent: all of them;
// a number not linked to the organisation gives nothing, see
// access.Principal.OwnerNumbers).
type Claims struct {
	jwt.RegisteredClaims
	Organisation int64    `json:"org"`
	Profile      string   `json:"profile"`
	Scope        *string  `json:"scope,omitempty"`
	Owners       []string `json:"owners,omitempty"`
}

// ParsePublicKeys reads every public key of a PEM file: PUBLIC KEY (PKIX:
// RSA, ECDSA or Ed25519), RSA PUBLIC KEY (PKCS #1) or CERTIFICATE blocks.
func ParsePublicKeys(pemData []byte) ([]any, error) {
	var keys []any
	for {
		var block *pem.Block
		block, pemData = pem.Decode(pemData)
		if block == nil {
			break
		}
		var key any
		var err error
		switch block.Type {
		case "PUBLIC KEY":
			key, err = x509.ParsePKIXPublicKey(block.Bytes)
		case "RSA PUBLIC KEY":
			key, err = x509.ParsePKCS1PublicKey(block.Bytes)
		case "CERTIFICATE":
			var cert *x509.Certificate
			if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
				key = cert.PublicKey
			}
		default:
			return nil, fmt.Errorf("unexpected PEM block %q", block.Type)
		}
		if err != nil {
			return nil, err
		}
		switch key.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
			keys = append(keys, key)
		default:
			return nil, fmt.Errorf("unsupported public key type %T", key)
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("no public key in PEM data")
	}
	return keys, nil
}

// jwtVerifier checks bearer JWTs against a JWTConfig.
type jwtVerifier struct {
	parser *jwt.Parser
	keys   map[string][]jwt.VerificationKey // by signing-method family: HMAC, RSA, ECDSA, EdDSA
}

func newJWTVerifier(c JWTConfig) *jwtVerifier {
	v := &jwtVerifier{keys: map[string][]jwt.VerificationKey{}}
	var methods []string
	if len(c.HS256Secret) > 0 {
		v.keys["HMAC"] = []jwt.VerificationKey{c.HS256Secret}
		methods = append(methods, "HS256")
	}
	for _, k := range c.PublicKeys {
		switch k.(type) {
		case *rsa.PublicKey:
			v.keys["RSA"] = append(v.keys["RSA"], k)
		case *ecdsa.PublicKey:
			v.keys["ECDSA"] = append(v.keys["ECDSA"], k)
		case ed25519.PublicKey:
			v.keys["EdDSA"] = append(v.keys["EdDSA"], k)
		}
	}
	if len(v.keys["RSA"]) > 0 {
		methods = append(methods, "RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
	}
	if len(v.keys["ECDSA"]) > 0 {
		methods = append(methods, "ES256", "ES384", "ES512")
	}
	if len(v.keys["EdDSA"]) > 0 {
		methods = append(methods, "EdDSA")
	}
	opts := []jwt.ParserOption{jwt.WithValidMethods(methods), jwt.WithExpirationRequired(), jwt.WithLeeway(c.Leeway)}
	if c.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(c.Issuer))
	}
	if c.Audience != "" {
		opts = append(opts, jwt.WithAudience(c.Audience))
	}
	v.parser = jwt.NewParser(opts...)
	return v
}

func (v *jwtVerifier) keyFor(t *jwt.Token) (any, error) {
	var family string
	switch t.Method.(type) {
	case *jwt.SigningMethodHMAC:
		family = "HMAC"
	case *jwt.SigningMethodRSA, *jwt.SigningMethodRSAPSS:
		family = "RSA"
	case *jwt.SigningMethodECDSA:
		family = "ECDSA"
	case *jwt.SigningMethodEd25519:
		family = "EdDSA"
	}
	return jwt.VerificationKeySet{Keys: v.keys[family]}, nil
}

// principal verifies the token and returns its principal without the
// owner numbers. Any failure is UNAUTHENTICATED; the message says what was
// wrong with the token but never echoes it.
func (v *jwtVerifier) principal(token string) (*access.Principal, *Claims, error) {
	var c Claims
	if _, err := v.parser.ParseWithClaims(token, &c, v.keyFor); err != nil {
		return nil, nil, apperr.Errorf(apperr.Unauthenticated, "invalid token: %s", tokenProblem(err))
	}
	profile := access.Profile(c.Profile)
	switch {
	case !profile.Valid():
		return nil, nil, apperr.Errorf(apperr.Unauthenticated, "invalid token: unknown profile %q", c.Profile)
	case c.Subject == "" || len(c.Subject) > 200:
		return nil, nil, apperr.Errorf(apperr.Unauthenticated, "invalid token: sub claim missing or longer than 200 bytes")
	case c.Organisation <= 0:
		return nil, nil, apperr.Errorf(apperr.Unauthenticated, "invalid token: no org claim")
	case profile == access.Citizen && !isCPR(c.Subject):
		return nil, nil, apperr.Errorf(apperr.Unauthenticated, "invalid token: a CITIZEN token's sub must be the citizen's CPR number")
	}
	scopes := access.DefaultScopes(profile)
	if c.Scope != nil {
		scopes = strings.Fields(*c.Scope)
	}
	p := &access.Principal{
		ClientName:     c.Subject,
		OrganisationID: c.Organisation,
		Profile:        profile,
		Scopes:         scopes,
	}
	if profile == access.Citizen {
		// The number is the citizen's own; the audit log's client name
		// does not carry it.
		n, _ := cpr.Parse(c.Subject)
		p.ClientName, p.CitizenCPR = "citizen", string(n)
	}
	return p, &c, nil
}

// isCPR reports whether s is a CPR number written exactly as ten digits.
func isCPR(s string) bool {
	n, err := cpr.Parse(s)
	return err == nil && string(n) == s
}

// tokenProblem names what failed in a token check, in words safe to show.
func tokenProblem(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "expired"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "a required claim (exp) is missing"
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "not valid yet"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "wrong issuer"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "wrong audience"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return "bad signature"
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "malformed"
	}
	return "rejected"
}
