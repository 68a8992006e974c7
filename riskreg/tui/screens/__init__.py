"""Screens: they call the services, hand the records to widgets and react to messages."""
