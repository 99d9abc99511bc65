"""Booking: the booking flow, PNR, passengers, ancillaries, manage/cancel."""
