"""Crew: members, qualifications, availability, duty legality and assignment."""
