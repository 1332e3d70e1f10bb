"""Facts about code that several codemods share. Nothing here imports torch."""
