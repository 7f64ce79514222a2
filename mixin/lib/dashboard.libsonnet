// Minimal hand-written Grafana dashboard helpers (no grafonnet). Every panel gets the templated
// datasource, a title, a description and a unit; dashboards get stable uids, tags, the
// datasource/job/instance variables (and one per _config.clusterLabels) and `editable: false`.
{
  local ds = { type: 'prometheus', uid: '${datasource}' },

  // Matchers on the dashboard's cluster variables, one single-select variable per
  // _config.clusterLabels entry: a dashboard shows one cluster at a time, so its own
  // aggregations (by vpg, by vra ...) never merge two clusters' series. Empty for one Prometheus.
  local clusterSel(config) = [l + '="$' + l + '"' for l in config.clusterLabels],

  // Label matchers every raw query carries: the dashboard's cluster, job and instance selections.
  sel(config):: std.join(', ', clusterSel(config) + ['job=~"$job", instance=~"$instance"']),

  // The selector of a recorded series (which has no job or instance left): the cluster matchers
  // plus `extra` (e.g. 'vpg=~"$vpg"'), braces included; '' when there is nothing to match.
  recordedSel(config, extra=null)::
    local m = clusterSel(config) + (if extra == null then [] else [extra]);
    if m == [] then '' else '{%s}' % std.join(', ', m),

  datasourceVariable(config):: {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    current: { selected: false, text: config.dashboardDatasource, value: config.dashboardDatasource },
    hide: 0,
    refresh: 1,
    regex: '',
    includeAll: false,
    multi: false,
  },

  // A Prometheus query variable, refreshed on time-range change. `all` makes it multi-select with
  // an All option matching `.+` (required for job and instance by the dashboard linter).
  queryVariable(name, label, query, all=true):: {
    name: name,
    label: label,
    type: 'query',
    datasource: ds,
    query: { query: query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: query,
    refresh: 2,
    sort: 1,
    hide: 0,
    regex: '',
    multi: all,
    includeAll: all,
    [if all then 'allValue']: '.+',
    current: if all then { selected: true, text: ['All'], value: ['$__all'] } else {},
  },

  clusterVariables(config):: [
    self.queryVariable(l, l, 'label_values(zerto_up{%s}, %s)' % [config.zertoSelector, l], all=false)
    for l in config.clusterLabels
  ],
  jobVariable(config)::
    self.queryVariable('job', 'Job', 'label_values(zerto_up{%s}, job)' % std.join(', ', clusterSel(config) + [config.zertoSelector])),
  instanceVariable(config)::
    self.queryVariable('instance', 'Instance', 'label_values(zerto_up{%s}, instance)' % std.join(', ', clusterSel(config) + ['job=~"$job"'])),

  target(expr, legend='', instant=false):: {
    datasource: ds,
    expr: expr,
    legendFormat: legend,
    [if instant then 'instant']: true,
    [if instant then 'range']: false,
    [if instant then 'format']: 'table',
  },

  local withRefIds(targets) = [
    targets[i] { refId: std.char(std.codepoint('A') + i) }
    for i in std.range(0, std.length(targets) - 1)
  ],

  local panel(type, title, description, unit, targets, w, h) = {
    type: type,
    title: title,
    description: description,
    datasource: ds,
    targets: withRefIds(targets),
    fieldConfig: { defaults: { unit: unit } },
    options: {},
    // Layout hints consumed by layout(); removed from the output.
    w:: w,
    h:: h,
  },

  timeseries(title, description, unit, targets, w=12, h=8, min=0, stack=false)::
    panel('timeseries', title, description, unit, targets, w, h) {
      fieldConfig+: {
        defaults+: {
          [if min != null then 'min']: min,
          custom: {
            drawStyle: 'line',
            lineWidth: 1,
            fillOpacity: if stack then 30 else 10,
            showPoints: 'never',
            spanNulls: false,
            stacking: { mode: if stack then 'normal' else 'none', group: 'A' },
          },
        },
      },
      options: {
        legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['lastNotNull', 'max'] },
        tooltip: { mode: 'multi', sort: 'desc' },
      },
    },

  // A stat panel. `thresholds` is a Grafana steps list; `textMode: 'name'` shows series names
  // (e.g. a status) instead of numbers.
  stat(title, description, unit, targets, w=6, h=4, thresholds=null, textMode='auto', decimals=null)::
    panel('stat', title, description, unit, targets, w, h) {
      fieldConfig+: {
        defaults+: {
          [if decimals != null then 'decimals']: decimals,
          thresholds: {
            mode: 'absolute',
            steps: if thresholds != null then thresholds else [{ color: 'blue', value: null }],
          },
        },
      },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'none',
        textMode: textMode,
        justifyMode: 'auto',
        orientation: 'auto',
      },
    },

  // A table of instant queries joined on their common labels. `columns` renames the value
  // columns (Value #A, Value #B, ...) in query order; `units` overrides their units.
  table(title, description, unit, targets, columns, units={}, w=24, h=8, sortBy=null, hide=[])::
    local refs = [std.char(std.codepoint('A') + i) for i in std.range(0, std.length(targets) - 1)];
    local valueName(i) = if std.length(targets) == 1 then 'Value' else 'Value #' + refs[i];
    panel('table', title, description, unit, targets, w, h) {
      local overrides = [
        {
          matcher: { id: 'byName', options: columns[i] },
          properties: [{ id: 'unit', value: units[columns[i]] }],
        }
        for i in std.range(0, std.length(columns) - 1)
        if std.objectHas(units, columns[i])
      ],
      fieldConfig+: {
        [if overrides != [] then 'overrides']: overrides,
      },
      options: {
        showHeader: true,
        [if sortBy != null then 'sortBy']: [{ displayName: sortBy, desc: true }],
      },
      transformations: [
        { id: 'merge', options: {} },
        {
          id: 'organize',
          options: {
            excludeByName: { Time: true } + { [h]: true for h in hide },
            renameByName: { [valueName(i)]: columns[i] for i in std.range(0, std.length(columns) - 1) },
          },
        },
      ],
    },

  row(title):: { type: 'row', title: title, collapsed: false, w:: 24, h:: 1 },

  // Places panels left to right in a 24-column grid, wrapping to a new line when a panel does not
  // fit, and numbers them.
  layout(panels)::
    local step(acc, p) =
      local wrap = acc.x + p.w > 24 || p.type == 'row';
      local x = if wrap then 0 else acc.x;
      local y = if wrap then acc.y + acc.lineHeight else acc.y;
      local lineHeight = if wrap then p.h else std.max(acc.lineHeight, p.h);
      {
        x: if p.type == 'row' then 24 else x + p.w,
        y: y,
        lineHeight: lineHeight,
        panels: acc.panels + [p { id: std.length(acc.panels) + 1, gridPos: { x: x, y: y, w: p.w, h: p.h } }],
      };
    std.foldl(step, panels, { x: 0, y: 0, lineHeight: 0, panels: [] }).panels,

  dashboard(config, file, title, description, panels, variables):: {
    uid: std.substr(std.md5(file), 0, 20),
    title: config.dashboardNamePrefix + title,
    description: description,
    tags: config.dashboardTags,
    editable: false,
    graphTooltip: 1,
    refresh: config.dashboardRefresh,
    schemaVersion: 39,
    time: { from: config.dashboardTimeFrom, to: 'now' },
    timepicker: {},
    timezone: '',
    links: [
      {
        title: 'Zerto dashboards',
        type: 'dashboards',
        tags: config.dashboardTags,
        asDropdown: true,
        includeVars: true,
        keepTime: true,
      },
    ],
    templating: {
      list: [$.datasourceVariable(config)] + $.clusterVariables(config) +
            [$.jobVariable(config), $.instanceVariable(config)] + variables,
    },
    panels: $.layout(panels),
  },
}
