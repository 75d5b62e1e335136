"""The API's schemas (pydantic): they validate requests, shape responses and make the OpenAPI document.

One module per resource. Request models are strict and forbid unknown fields, so what the
document promises is exactly what is accepted; response models list every field they return.
Adding a field means adding it to the model (with a default, for requests) and to the
module's converter from a row: the document follows by itself.
"""
