/**
 * Live follow: a {@link dev.execflow.follow.SessionFollower} keeps one running session's fold,
 * folds only the rows a {@link dev.execflow.spi.SessionTail} delivers after its cursor, and derives
 * typed {@link dev.execflow.follow.FollowEvent}s ({@link dev.execflow.follow.EventType}: {@code
 * snapshot}, {@code phase_start}, ..., {@code final}); {@link dev.execflow.follow.FollowHub} shares
 * one follower among every reader of a session and polls them on a schedule; {@link
 * dev.execflow.follow.FollowJson} writes the events.
 *
 * <pre>{@code
 * SessionFollower follower = SessionFollower.open(source, "sess-42", FollowOptions.defaults());
 * List<FollowEvent> events = follower.poll();   // first: a snapshot
 * }</pre>
 */
package dev.execflow.follow;
