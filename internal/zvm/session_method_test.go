package zvm

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestSessionAuthMethod logs in to a simulated Windows ZVM whose account is a Windows or a
// vCenter (SSO) account, with each method: only the matching one is accepted, the other is an
// AuthError (the simulator refuses it with 401, as the ZVM does).
func TestSessionAuthMethod(t *testing.T) {
	for _, account := range []string{zvmsim.AccountWindows, zvmsim.AccountVCenter} {
		sim, err := zvmsim.New(zvmsim.Options{Flavour: zvmsim.FlavourWindows, SessionAccount: account})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(sim.Handler(zvmsim.Protected))
		t.Cleanup(srv.Close)
		for _, method := range SessionAuthMethods {
			t.Run(account+" account, "+string(method), func(t *testing.T) {
				c, err := New(Config{URL: srv.URL, Auth: AuthSession, SessionAuthMethod: method,
					Username: zvmsim.DefaultUsername, Password: zvmsim.DefaultPassword})
				if err != nil {
					t.Fatal(err)
				}
				ls, err := ReadAs[*LocalSite](testCtx(t), c, Request{Endpoint: EndpointLocalSite})
				if string(method) == account {
					if err != nil || ls.SiteName == "" {
						t.Fatalf("login with the account's method: %+v, %v", ls, err)
					}
					return
				}
				var ae *AuthError
				if !errors.As(err, &ae) || ae.StatusCode != 401 {
					t.Fatalf("login with the wrong method: %v, want an AuthError with 401", err)
				}
			})
		}
	}
}

func TestSessionAuthMethodInvalid(t *testing.T) {
	_, err := New(Config{URL: "http://zvm", Auth: AuthSession, SessionAuthMethod: "kerberos", Username: "u", Password: "p"})
	if err == nil || err.Error() != `zvm: unknown session auth method "kerberos" (want one of [windows vcenter])` {
		t.Fatalf("err = %v", err)
	}
}
