"""One function per figure of the course, grouped by chapter. Each returns an annotated chart."""
