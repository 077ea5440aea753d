package io.github.infisicaljca.kms;

import java.util.List;

/** One page of a key listing, with the server's count of all matching keys. */
public record KeyPage(List<KmsKey> keys, int totalCount) {
    /**
     * Copies the list.
     *
     * @param keys the keys of this page
     * @param totalCount how many keys match over all pages
     */
    public KeyPage {
        keys = List.copyOf(keys);
    }
}
