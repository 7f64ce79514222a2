package zvmsim

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// List filters of /v1/vpgs, /v1/vms, /v1/vras, /v1/alerts, /v1/events and /v1/tasks, with the
// ZVM's semantics: parameter names and values ignore case, enum filters take
// the code or the name, several filters combine with AND, and parameters
// the simulator does not know are ignored, as the ZVM ignores unknown ones.
// A value that does not parse answers 400 before anything is written.

// Codes of eventCategoryNames.
const (
	eventCategoryEvents = 1
	eventCategoryAlerts = 2
)

// filterFunc turns a query into the pick of a list renderer (nil: all).
type filterFunc func(v *view, q url.Values) (func(int) bool, error)

// withFilter renders list with the elements the query's filters keep.
func withFilter(filter filterFunc, list func(*view) error) func(*view, url.Values) error {
	return func(v *view, q url.Values) error {
		pick, err := filter(v, q)
		if err != nil {
			return err
		}
		v.pick = pick
		return list(v)
	}
}

// conds are the conditions of one query; an element is kept when all hold.
type conds []func(i int) bool

func (c conds) pick() func(int) bool {
	if len(c) == 0 {
		return nil
	}
	return func(i int) bool {
		for _, f := range c {
			if !f(i) {
				return false
			}
		}
		return true
	}
}

// enumValue parses an enum filter: the code, or the name in any case.
func enumValue(param, value string, names []string) (int, error) {
	if n, err := strconv.Atoi(value); err == nil {
		return n, nil
	}
	if i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, value) }); i >= 0 {
		return i, nil
	}
	return 0, badRequestf("%s %q is neither a number nor one of %s", param, value, strings.Join(names, ", "))
}

// enumName parses an enum filter whose field is sent as its name (alert
// Level and Entity): a code becomes its name.
func enumName(param, value string, names []string) (string, error) {
	n, err := enumValue(param, value, names)
	if err != nil {
		return "", err
	}
	if n < 0 || n >= len(names) {
		return "", badRequestf("%s %d is not a code of %s", param, n, strings.Join(names, ", "))
	}
	return names[n], nil
}

// boolValue parses a boolean filter as .NET does: true or false in any case.
func boolValue(param, value string) (bool, error) {
	switch {
	case strings.EqualFold(value, "true"):
		return true, nil
	case strings.EqualFold(value, "false"):
		return false, nil
	}
	return false, badRequestf("%s %q is not true or false", param, value)
}

// dateRange reads startDate and endDate in the formats of parseFilterDate; a
// value without Z is in the ZVM's local time. A zero bound is open.
func (v *view) dateRange(q url.Values) (from, until time.Time, err error) {
	local := time.FixedZone("ZVM local time", v.m.sites[v.role].utcOffset*60)
	for _, bound := range []struct {
		name string
		t    *time.Time
	}{{"startDate", &from}, {"endDate", &until}} {
		if s := queryValue(q, bound.name); s != "" {
			if *bound.t, err = parseFilterDate(s, local); err != nil {
				return from, until, badRequestf("%s: %v", bound.name, err)
			}
		}
	}
	return from, until, nil
}

// within says whether t lies in [from, until], zero bounds being open.
func within(t, from, until time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (until.IsZero() || !t.After(until))
}

// vpgStatusConds adds the status, subStatus and priority filters that
// /v1/vpgs and /v1/vms share; vpgOf maps an element to its VPG.
func (v *view) vpgStatusConds(c conds, q url.Values, vpgOf func(i int) int) (conds, error) {
	for _, f := range []struct {
		param string
		names []string
		field func(p int) int
	}{
		{"status", vpgStatusNames, func(p int) int { return v.live()[p].status }},
		{"subStatus", vpgSubStatusNames, func(p int) int { return v.live()[p].subStatus }},
		{"priority", vpgPriorityNames, func(p int) int { return v.m.vpgs[p].priority }},
	} {
		s := queryValue(q, f.param)
		if s == "" {
			continue
		}
		want, err := enumValue(f.param, s, f.names)
		if err != nil {
			return nil, err
		}
		c = append(c, func(i int) bool { return f.field(vpgOf(i)) == want })
	}
	return c, nil
}

// textFilter is a filter that keeps the elements whose field equals its value, ignoring case.
type textFilter struct {
	param string
	field func(i int) string
}

// textConds adds the text filters the query sets.
func textConds(c conds, q url.Values, filters []textFilter) conds {
	for _, f := range filters {
		if want := queryValue(q, f.param); want != "" {
			c = append(c, func(i int) bool { return strings.EqualFold(f.field(i), want) })
		}
	}
	return c
}

// siteFilters are the site filters /v1/vpgs and /v1/vms share: every VPG protects the protected
// site to the recovery site, both vCenter sites in no organisation.
func (v *view) siteFilters() []textFilter {
	prot, rec := &v.m.sites[Protected], &v.m.sites[Recovery]
	constant := func(s string) func(int) string { return func(int) string { return s } }
	return []textFilter{
		{"protectedSiteIdentifier", constant(prot.id)}, {"recoverySiteIdentifier", constant(rec.id)},
		{"sourceSite", constant(prot.name)}, {"targetSite", constant(rec.name)},
		{"protectedSiteType", constant(siteType)}, {"recoverySiteType", constant(siteType)},
		{"sourceType", constant(siteType)}, {"targetType", constant(siteType)},
		{"organizationName", constant("")},
	}
}

// vpgFilter: name, status, subStatus, priority, the site filters, zorgIdentifier,
// serviceProfileIdentifier and backupEnabled.
func (v *view) vpgFilter(q url.Values) (func(int) bool, error) {
	c := textConds(nil, q, append(v.siteFilters(),
		textFilter{"name", func(i int) string { return v.m.vpgs[i].name }},
		textFilter{"zorgIdentifier", func(int) string { return noZorg }},
		textFilter{"serviceProfileIdentifier", func(i int) string {
			if sp := v.m.profileOf(i); sp != nil {
				return sp.id
			}
			return ""
		}}))
	if s := queryValue(q, "backupEnabled"); s != "" {
		want, err := boolValue("backupEnabled", s)
		if err != nil {
			return nil, err
		}
		c = append(c, func(int) bool { return !want }) // no VPG has backups (BackupEnabled false)
	}
	c, err := v.vpgStatusConds(c, q, func(i int) int { return i })
	return c.pick(), err
}

// vmFilter: vpgName, vmName, vmIdentifier, the site filters, and the VPG's status, subStatus
// and priority; includeFlags.
func (v *view) vmFilter(q url.Values) (func(int) bool, error) {
	c := textConds(nil, q, append(v.siteFilters(),
		textFilter{"vpgName", func(i int) string { return v.m.vpgs[v.m.rows[i].vpg].name }},
		textFilter{"vmName", func(i int) string { return v.m.rows[i].name }},
		textFilter{"vmIdentifier", func(i int) string { return v.m.rows[i].vmID }}))
	if err := includeFlags(q); err != nil {
		return nil, err
	}
	c, err := v.vpgStatusConds(c, q, func(i int) int { return v.m.rows[i].vpg })
	return c.pick(), err
}

// includeFlags checks the includeBackupedVms and includeMountedVms of the VM endpoints, which
// must be booleans; the simulator has no backed-up or mounted VMs for them to add.
func includeFlags(q url.Values) error {
	for _, param := range []string{"includeBackupedVms", "includeMountedVms"} {
		if s := queryValue(q, param); s != "" {
			if _, err := boolValue(param, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// vraFilter: vraName, status, vraVersion, hostVersion, ipAddress, vraGroup, datastoreName,
// datastoreClusterName, networkName and vraIpConfigurationTypeApi, on the values /v1/vras sends.
func (v *view) vraFilter(q url.Values) (func(int) bool, error) {
	c := textConds(nil, q, []textFilter{
		{"vraName", func(i int) string { return v.m.vras[i].name }},
		{"vraVersion", func(int) string { return v.vraVersion() }},
		{"hostVersion", func(int) string { return v.vraHostVersion() }},
		{"ipAddress", func(i int) string { return v.m.vras[i].ip }},
		{"vraGroup", func(int) string { return vraGroup }},
		{"datastoreName", func(i int) string { return v.m.datastores[v.m.vras[i].ds].name }},
		{"datastoreClusterName", func(int) string { return "" }}, // DatastoreClusterName is null
		{"networkName", func(int) string { return vmNetworkName }},
	})
	for _, f := range []struct {
		param string
		names []string
		field func(i int) int
	}{
		{"status", vraStatusNames, v.vraStatus},
		{"vraIpConfigurationTypeApi", vraIPConfigNames, func(int) int { return vraIPStatic }},
	} {
		if s := queryValue(q, f.param); s != "" {
			want, err := enumValue(f.param, s, f.names)
			if err != nil {
				return nil, err
			}
			c = append(c, func(i int) bool { return f.field(i) == want })
		}
	}
	return c.pick(), nil
}

// alertFilter: isDismissed, level, entity, helpIdentifier, vpgIdentifier,
// startDate and endDate (on TurnedOn). Its indexes are those of alertsFor.
func (v *view) alertFilter(q url.Values) (func(int) bool, error) {
	alerts := v.alertsFor()
	var c conds
	if s := queryValue(q, "isDismissed"); s != "" {
		want, err := boolValue("isDismissed", s)
		if err != nil {
			return nil, err
		}
		c = append(c, func(i int) bool { return alerts[i].dismissed == want })
	}
	for _, f := range []struct {
		param string
		names []string
		field func(a *alert) string
	}{
		{"level", alertLevelNames, func(a *alert) string { return a.level }},
		{"entity", alertEntityNames, func(a *alert) string { return a.entity }},
		{"helpIdentifier", alertHelpIDs, func(a *alert) string { return a.helpID }},
	} {
		s := queryValue(q, f.param)
		if s == "" {
			continue
		}
		want, err := enumName(f.param, s, f.names)
		if err != nil {
			return nil, err
		}
		c = append(c, func(i int) bool { return strings.EqualFold(f.field(&alerts[i]), want) })
	}
	if id := queryValue(q, "vpgIdentifier"); id != "" {
		c = append(c, func(i int) bool {
			return slices.ContainsFunc(alerts[i].vpgs, func(p int) bool { return strings.EqualFold(v.m.vpgs[p].id, id) })
		})
	}
	// An alert's Site is the local site; no alert affects a ZORG.
	c = textConds(c, q, []textFilter{
		{"siteIdentifier", func(int) string { return v.m.sites[v.role].id }},
		{"zorgIdentifier", func(int) string { return "" }},
	})
	from, until, err := v.dateRange(q)
	if err != nil {
		return nil, err
	}
	if !from.IsZero() || !until.IsZero() {
		c = append(c, func(i int) bool { return within(alerts[i].turnedOn, from, until) })
	}
	return c.pick(), nil
}

// eventFilter: startDate and endDate (on OccurredOn), vpgIdentifier (and the
// obsolete vpg), eventType (a code), entityType, category (and the obsolete
// eventCategory, which category overrides) and userName. Its indexes are
// those of the model's events.
func (v *view) eventFilter(q url.Values) (func(int) bool, error) {
	events := v.m.events
	var c conds
	from, until, err := v.dateRange(q)
	if err != nil {
		return nil, err
	}
	if !from.IsZero() || !until.IsZero() {
		c = append(c, func(i int) bool { return within(events[i].occurred, from, until) })
	}
	id := queryValue(q, "vpgIdentifier")
	if id == "" {
		id = queryValue(q, "vpg")
	}
	if id != "" {
		c = append(c, func(i int) bool { return events[i].vpg >= 0 && strings.EqualFold(v.m.vpgs[events[i].vpg].id, id) })
	}
	if s := queryValue(q, "eventType"); s != "" {
		want, err := strconv.Atoi(s)
		if err != nil {
			return nil, badRequestf("eventType %q is not an event type code (see /v1/events/types)", s)
		}
		c = append(c, func(i int) bool { return events[i].typ == want })
	}
	if s := queryValue(q, "entityType"); s != "" {
		want, err := enumValue("entityType", s, eventEntityNames)
		if err != nil {
			return nil, err
		}
		c = append(c, func(i int) bool { return events[i].entityType == want })
	}
	category := queryValue(q, "category")
	if category == "" {
		category = queryValue(q, "eventCategory")
	}
	if category != "" {
		want, err := enumValue("category", category, eventCategoryNames)
		if err != nil {
			return nil, err
		}
		// Alerts are the alert turned on/off events; Events all the others.
		isAlert := func(i int) bool { return events[i].typ == eventAlertTurnedOn || events[i].typ == eventAlertTurnedOff }
		switch want {
		case eventCategoryEvents:
			c = append(c, func(i int) bool { return !isAlert(i) })
		case eventCategoryAlerts:
			c = append(c, isAlert)
		}
	}
	// An event's site is the local site; no event is about a ZORG.
	c = textConds(c, q, []textFilter{
		{"userName", func(i int) string { return events[i].user }},
		{"siteName", func(int) string { return v.m.sites[v.role].name }},
		{"siteIdentifier", func(int) string { return v.m.sites[v.role].id }},
		{"zorgIdentifier", func(int) string { return "" }},
	})
	return c.pick(), nil
}

// taskStateNames names task Status.State codes, for the status filter.
var taskStateNames = []string{"FirstUnusedValue", "InProgress", "WaitingForUserInput", "Paused", "Failed",
	"Stopped", "Completed", "Cancelling"}

// taskFilter: startedAfterDate, startedBeforeDate, completedAfterDate,
// completedBeforeDate (a running task has no completion and fails these),
// type and status. Its indexes are those of tasks.
func (v *view) taskFilter(q url.Values) (func(int) bool, error) {
	tasks := v.tasks()
	local := time.FixedZone("ZVM local time", v.m.sites[v.role].utcOffset*60)
	var c conds
	for _, f := range []struct {
		param string
		after bool
		field func(t *task) time.Time
	}{
		{"startedAfterDate", true, func(t *task) time.Time { return t.started }},
		{"startedBeforeDate", false, func(t *task) time.Time { return t.started }},
		{"completedAfterDate", true, func(t *task) time.Time { return t.completed }},
		{"completedBeforeDate", false, func(t *task) time.Time { return t.completed }},
	} {
		s := queryValue(q, f.param)
		if s == "" {
			continue
		}
		bound, err := parseFilterDate(s, local)
		if err != nil {
			return nil, badRequestf("%s: %v", f.param, err)
		}
		c = append(c, func(i int) bool {
			at := f.field(&tasks[i])
			return !at.IsZero() && (f.after && !at.Before(bound) || !f.after && !at.After(bound))
		})
	}
	if typ := queryValue(q, "type"); typ != "" {
		c = append(c, func(i int) bool { return strings.EqualFold(tasks[i].typ, typ) })
	}
	if s := queryValue(q, "status"); s != "" {
		want, err := enumValue("status", s, taskStateNames)
		if err != nil {
			return nil, err
		}
		c = append(c, func(i int) bool {
			state := taskCompleted
			if tasks[i].completed.IsZero() {
				state = taskInProgress
			}
			return state == want
		})
	}
	return c.pick(), nil
}
