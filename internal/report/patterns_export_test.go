package report

// ForgetPatterns empties the remembered patterns (to time a cold report).
func ForgetPatterns() {
	patterns.Lock()
	clear(patterns.m)
	patterns.Unlock()
}
