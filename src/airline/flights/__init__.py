"""Flights: flights and schedules, live status and disruptions, fares and search."""
