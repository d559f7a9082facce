package io.pawfiler.community.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.community.media.MediaFormat;
import io.pawfiler.community.media.MediaPolicy;
import io.pawfiler.community.media.MediaStorage;
import io.pawfiler.community.media.MediaUrls;
import io.pawfiler.community.media.StoredMedia;
import io.pawfiler.community.store.CommunityStore;

/**
 * A post's one image or video: inline bytes (checked by magic bytes, stored content-addressed, registered in
 * media_objects in the post's transaction) or an external http(s) URL kept as given.
 *
 * <p>Bytes and rows stay consistent across failures: bytes written for a transaction that rolls back are deleted
 * unless another post registered the same object; bytes of an object its last post released are deleted only once
 * that deletion committed.
 */
@ApplicationScoped
public class MediaAttachments {

    private static final System.Logger LOG = System.getLogger(MediaAttachments.class.getName());

    /** What a post request carries; all blank: no media. */
    public record Request(String mediaUrl, String mediaType, String fileName, byte[] fileContent, String fileContentType) {

        boolean inline() {
            return fileContent != null && fileContent.length > 0;
        }

        boolean external() {
            return mediaUrl != null && !mediaUrl.isBlank();
        }
    }

    /** What the post row stores: either a storage key or an external URL, and the media type. */
    public record Attachment(String storageKey, String externalUrl, String mediaType) {
        static final Attachment NONE = new Attachment(null, null, null);
    }

    /** Fired in the writing transaction; observed after it completed. */
    record Written(String storageKey) {
    }

    record Released(String storageKey) {
    }

    @Inject
    MediaPolicy policy;

    @Inject
    MediaStorage storage;

    @Inject
    MediaUrls urls;

    @Inject
    CommunityStore store;

    @Inject
    Event<Written> written;

    @Inject
    Event<Released> released;

    /** Inside the post's transaction. */
    public Attachment attach(Request request, Instant now) {
        if (request.inline()) {
            MediaFormat format = policy.checkContent(request.fileContent(), request.fileName(), request.fileContentType());
            StoredMedia stored = storage.store(request.fileContent(), format);
            written.fire(new Written(stored.key()));
            store.registerMedia(stored.key(), format.contentType(), format.kind().wireName(), stored.sizeBytes(), now);
            return new Attachment(stored.key(), null, format.kind().wireName());
        }
        if (request.external()) {
            MediaPolicy.ExternalMedia external = policy.checkExternal(request.mediaUrl(), request.mediaType());
            return new Attachment(null, external.url(), external.kind().wireName());
        }
        return Attachment.NONE;
    }

    /** Inside the deleting transaction: the object goes when no other post names it. */
    public void release(String storageKey) {
        if (store.releaseMediaIfUnused(storageKey)) {
            released.fire(new Released(storageKey));
        }
    }

    /** The URL a reader fetches the post's media from: the service's own signed URL, or the external one. */
    public String urlOf(CommunityStore.PostRow post) {
        if (post.mediaKey() != null) {
            return urls.urlFor(post.mediaKey());
        }
        return post.mediaUrl() == null ? "" : post.mediaUrl();
    }

    /** Observer calls are business method calls, so each check runs in a transaction of its own. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void afterFailedWrite(@Observes(during = TransactionPhase.AFTER_FAILURE) Written event) {
        deleteIfUnregistered(event.storageKey());
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void afterRelease(@Observes(during = TransactionPhase.AFTER_SUCCESS) Released event) {
        deleteIfUnregistered(event.storageKey());
    }

    private void deleteIfUnregistered(String storageKey) {
        try {
            if (!store.mediaRegistered(storageKey)) {
                storage.delete(storageKey);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "media " + storageKey + " may be left without a post: " + e.getMessage());
        }
    }
}
