"""The exercises of the assignment `mini`: exercise id -> folder."""

EXERCISES = {"double": "double", "build_tiny": "build_tiny"}
