package dev.lintel.spring.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of the command type it takes as its one parameter; the
 * auto-configuration registers it on the runtime's command bus when the context starts. The method
 * returns the command's result type ({@code void} for {@code Command<Void>}). Exceptions it throws
 * reach the sender unchanged (checked ones wrapped in a {@code LintelException}). A command type
 * handled twice fails the start with {@code DuplicateHandlerException}.
 *
 * <p>For example, in a component class: {@code @HandlesCommand OrderId place(PlaceOrder command) {
 * ... }}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HandlesCommand {}
