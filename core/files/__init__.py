"""Uploaded files: checked, cleaned images kept in storage and served publicly."""
