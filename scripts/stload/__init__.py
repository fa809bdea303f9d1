"""A class as a load test: a Streamlit protocol client (client.py) and Locust users over it
(locustfile.py); scripts/class_load.py runs them."""
