package bundle

// SetIOWorkers changes how many files are written or hashed at once.
func SetIOWorkers(n int) { ioWorkers = n }
