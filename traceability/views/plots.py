"""Plot and certificate pages."""
