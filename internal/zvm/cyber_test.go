package zvm

import (
	"errors"
	"strings"
	"testing"
)

// The Zerto 10 endpoints decode as their wire shapes say; a ZVM without them answers 404, which
// is ErrNotSupported; nulls stay nil.
func TestCyberDecoders(t *testing.T) {
	f := newFake(t, AuthKeycloak)
	f.setBody(EndpointEncryptionState, `{"EncryptionDetectionEnabled":false}`)
	f.setBody(EndpointSuspectedVPGs, `[{"Link":{"identifier":"v1","name":"CRM","href":"h","rel":null,"type":"VpgApi"},"SuspicionLevel":null}]`)
	f.setBody(EndpointEncryptionMetricsVPG, `[{"Link":{"identifier":"v1","name":"CRM"},"EncryptionMetrics":{"EncryptedData":5,"NonEncryptedData":null,"TrendChangeLevel":1}}]`)
	f.setBody(EndpointEJCHealth, `{"Vpgs":null}`)
	f.setBody(EndpointEJCRepositories, `[{"RepositoryName":"r","Nfs":{"Path":"/x"}},{"RepositoryName":"s","S3":{"IsImmutable":true,"ImmutabilityDays":null,"S3SecretKey":"k"}},{"RepositoryName":"u"}]`)
	c := newTestClient(t, f, nil)
	ctx := testCtx(t)

	st, err := ReadAs[*EncryptionDetectionState](ctx, c, Request{Endpoint: EndpointEncryptionState})
	if err != nil || st.EncryptionDetectionEnabled == nil || *st.EncryptionDetectionEnabled {
		t.Errorf("state %+v, %v: want enabled false", st, err)
	}
	sus, err := ReadAs[[]SuspectedVPG](ctx, c, Request{Endpoint: EndpointSuspectedVPGs})
	if err != nil || len(sus) != 1 || sus[0].Link.Name != "CRM" || sus[0].SuspicionLevel != nil {
		t.Errorf("suspected %+v, %v: want CRM with a null level", sus, err)
	}
	m, err := ReadAs[[]VPGEncryptionMetrics](ctx, c, Request{Endpoint: EndpointEncryptionMetricsVPG})
	if err != nil || len(m) != 1 || *m[0].EncryptionMetrics.EncryptedData != 5 || m[0].EncryptionMetrics.NonEncryptedData != nil {
		t.Errorf("metrics %+v, %v", m, err)
	}
	h, err := ReadAs[[]EJCVPGHealth](ctx, c, Request{Endpoint: EndpointEJCHealth})
	if err != nil || len(h) != 0 {
		t.Errorf("health with Vpgs null: %+v, %v", h, err)
	}
	repos, err := ReadAs[[]EJCRepository](ctx, c, Request{Endpoint: EndpointEJCRepositories})
	if err != nil || len(repos) != 3 {
		t.Fatalf("repositories %+v, %v", repos, err)
	}
	for i, want := range []struct{ immutable, days, ok bool }{{false, false, true}, {true, false, true}, {false, false, false}} {
		im, days, ok := repos[i].Immutable()
		if im != want.immutable || (days != nil) != want.days || ok != want.ok {
			t.Errorf("%s: Immutable() = %v, %v, %v; want %v, days %v, %v", repos[i].RepositoryName, im, days, ok, want.immutable, want.days, want.ok)
		}
	}

	_, err = ReadAs[[]SuspectedVM](ctx, c, Request{Endpoint: EndpointSuspectedVMs}) // not served: 404
	if !errors.Is(err, ErrNotSupported) || !strings.Contains(err.Error(), string(EndpointSuspectedVMs)) {
		t.Errorf("404: %v, want ErrNotSupported naming the endpoint", err)
	}
	f.setBody(EndpointEJCHealth, `[]`)
	if _, err := ReadAs[[]EJCVPGHealth](ctx, c, Request{Endpoint: EndpointEJCHealth}); err == nil {
		t.Error("an array for the health object decoded without error")
	}
}
