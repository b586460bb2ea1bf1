"""Traceability services: each public function is one transaction and checks who may act."""
