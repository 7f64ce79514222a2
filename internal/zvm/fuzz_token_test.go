package zvm

import "testing"

// FuzzDecodeToken covers the one decoder the endpoint fuzzers do not: Keycloak's token answer,
// decoded as keycloakAuth.login does.
func FuzzDecodeToken(f *testing.F) {
	addSeeds(f, commonSeeds...)
	addSeeds(f, `{"access_token":"eyJ.x.y","expires_in":300,"refresh_expires_in":1800,"token_type":"Bearer","not-before-policy":0,"scope":"profile email"}`,
		`{"access_token":"t","expires_in":"300"}`, `{"access_token":"t","expires_in":1e400}`, `{"access_token":"t","expires_in":-5}`,
		`{"access_token":null,"expires_in":null}`, `{"access_token":5}`, `{"error":"invalid_grant","error_description":"Invalid user credentials"}`)
	f.Fuzz(func(t *testing.T, b []byte) {
		var tok struct {
			AccessToken string    `json:"access_token"`
			ExpiresIn   FlexFloat `json:"expires_in"`
		}
		checkDecode(t, b, &tok)
	})
}
