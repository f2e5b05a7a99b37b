package bundle

// SetIOWorkers changes how many files are written or hashed at once.
func SetIOWorkers(n int) { ioWorkers = n }

// DeflatedSize is the size of data deflated as the archives hold it.
func DeflatedSize(data []byte) int { return len(deflate("x.json", data).compressed) }
