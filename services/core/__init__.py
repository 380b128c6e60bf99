"""Plumbing every slice shares: settings, database, errors, vocabulary, rows, pages, filters."""
