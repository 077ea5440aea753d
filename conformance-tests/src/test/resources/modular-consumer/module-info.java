/** A user's application on the module path: it needs only the provider's module. */
module consumer {
    requires io.github.infisicaljca;

    uses java.security.Provider;
}
