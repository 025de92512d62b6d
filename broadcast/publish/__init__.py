"""Publication of approved scripts beyond the loudspeakers (portal, social platforms)."""
