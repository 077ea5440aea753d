package io.github.infisicaljca.kms;

/** Changes to a key; {@code null} fields stay as they are. At least one must be set. */
public record KeyUpdate(String name, String description, Boolean disabled) {

    public KeyUpdate {
        if (name == null && description == null && disabled == null) {
            throw new IllegalArgumentException("a key update must change the name, the description or the disabled flag");
        }
    }

    public static KeyUpdate disable() {
        return new KeyUpdate(null, null, true);
    }

    public static KeyUpdate enable() {
        return new KeyUpdate(null, null, false);
    }
}
