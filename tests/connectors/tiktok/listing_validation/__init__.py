"""Tests for connectors.tiktok.listing_validation."""
