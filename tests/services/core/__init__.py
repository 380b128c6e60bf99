"""Service tests of core plumbing: settings and migrations."""
