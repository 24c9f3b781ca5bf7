"""The signed-in home: what each role has to do next, read from every app (hence in the top app)."""
