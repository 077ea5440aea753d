package io.github.infisicaljca.kms;

import java.util.List;

/** One page of a key listing, with the server's count of all matching keys. */
public record KeyPage(List<KmsKey> keys, int totalCount) {
    public KeyPage {
        keys = List.copyOf(keys);
    }
}
