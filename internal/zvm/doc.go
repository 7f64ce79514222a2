// Package zvm is the client of the Zerto Virtual Manager REST API: login in both flavours
// (Windows session, appliance Keycloak), typed wire models, enumerations and tolerant dates.
// It knows nothing of Prometheus; callers observe requests through Observer.
package zvm
