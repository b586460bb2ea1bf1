"""Marketplace services: listings, search, cart, orders, transitions, stock and notifications."""
