package sim

// Shapes of a huge_body fault's body. Each is a JSON array that would be valid if it were read to
// its end, and each is hard on a client's memory in its own way.
const (
	// HugeEmptyObjects is [{},{},…]: three bytes per element, each decoded to a whole struct.
	HugeEmptyObjects = "empty_objects"
	// HugeSmallObjects is many objects of a few short strings, about 100 bytes each.
	HugeSmallObjects = "small_objects"
	// HugeLongString is one object whose VmName is the whole body.
	HugeLongString = "long_string"
)

var HugeShapes = []string{HugeEmptyObjects, HugeSmallObjects, HugeLongString}

// maxHugeMB bounds a huge_body fault's size.
const maxHugeMB = 4096
