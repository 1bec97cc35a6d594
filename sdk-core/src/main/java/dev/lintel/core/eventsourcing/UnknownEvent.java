package dev.lintel.core.eventsourcing;

/**
 * Stands in for a stored event whose type is unknown, when the serializer is told to keep such
 * events ({@link JacksonEventSerializer.Builder#keepUnknownTypes()}) instead of failing.
 *
 * @param type the stored type name
 * @param json the stored JSON text
 */
public record UnknownEvent(String type, String json) {}
