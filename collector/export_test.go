package collector

// The fixture helpers of this package's tests, for its external tests (TestMetricsReference,
// which reads the self-metrics of packages that import this one).
var (
	RichSnapshot   = richSnapshot
	FixtureSLA     = fixtureSLA
	ScrapeRegistry = scrapeRegistry
	Gather         = gather
	FamilyNames    = familyNames
	Update         = update
)
