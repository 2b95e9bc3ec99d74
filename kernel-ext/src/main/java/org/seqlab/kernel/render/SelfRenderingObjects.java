package org.seqlab.kernel.render;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * The engine's pictures render themselves: any object with a public no-argument {@code byte[] png()}
 * shows as image/png, and one with {@code String html()} as text/html (the inspection pictures,
 * {@code LossCurve}, user classes). The engine needs no kernel type for this, only the convention.
 * Registered on {@code Object}, so a renderer for a more specific type always wins; objects with
 * neither method keep their plain text.
 */
public final class SelfRenderingObjects {
    private SelfRenderingObjects() {}

    private record Methods(Optional<Method> png, Optional<Method> html) {}

    /** Looked up once per class. */
    private static final ClassValue<Methods> METHODS = new ClassValue<>() {
        @Override
        protected Methods computeValue(Class<?> type) {
            return new Methods(find(type, "png", byte[].class), find(type, "html", String.class));
        }
    };

    public static void register(Renderer renderer) {
        renderer.createRegistration(Object.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN)
                .supporting(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN)
                .register((value, ctx) -> {
                    Methods m = METHODS.get(value.getClass());
                    m.png().ifPresent(png -> ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> Html.base64((byte[]) call(png, value))));
                    m.html().ifPresent(html -> ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> call(html, value)));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> String.valueOf(value));
                });
    }

    private static Optional<Method> find(Class<?> type, String name, Class<?> returns) {
        try {
            Method m = type.getMethod(name);
            if (m.getReturnType() != returns || Modifier.isStatic(m.getModifiers())) {
                return Optional.empty();
            }
            // public method of a non-public class (a class declared in a JShell cell, say)
            m.trySetAccessible();
            return Optional.of(m);
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    private static Object call(Method m, Object target) {
        try {
            Object out = m.invoke(target);
            if (out == null) {
                throw new IllegalStateException(target.getClass().getName() + "." + m.getName() + "() returned null");
            }
            return out;
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + m + ": " + e.getMessage(), e);
        }
    }
}
