package io.github.infisicaljca.kms;

/** Changes to a key; {@code null} fields stay as they are. At least one must be set. */
public record KeyUpdate(String name, String description, Boolean disabled) {

    /**
     * Checks that something changes.
     *
     * @param name the new name, or null to keep it
     * @param description the new description, or null to keep it
     * @param disabled whether the key is to be disabled, or null to keep it
     * @throws IllegalArgumentException when all three are null
     */
    public KeyUpdate {
        if (name == null && description == null && disabled == null) {
            throw new IllegalArgumentException("a key update must change the name, the description or the disabled flag");
        }
    }

    /** {@return the update that disables a key (it then refuses every operation)} */
    public static KeyUpdate disable() {
        return new KeyUpdate(null, null, true);
    }

    /** {@return the update that enables a disabled key} */
    public static KeyUpdate enable() {
        return new KeyUpdate(null, null, false);
    }
}
