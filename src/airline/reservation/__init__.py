"""Reservation: seat maps, seat holds with expiry, seat assignment."""
