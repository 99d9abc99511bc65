"""Airport: airports, gates, the fleet and its seat layouts, plane availability."""
