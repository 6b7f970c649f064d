"""The lint run: file discovery, checks, selection, pragmas, baselines, --changed-since."""
