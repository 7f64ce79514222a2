package sim

// Mib converts the ZVM's MB (mebibytes) to bytes.
const Mib = 1 << 20

const NoZorg = "00000000-0000-0000-0000-000000000000"
