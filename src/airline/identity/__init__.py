"""Identity: users, staff roles, passenger sign-up, login and JWTs."""
