/**
 * The keyring (primary key encrypts, every key decrypts) and memberlist-compatible AES-GCM
 * encryption of packets and streams (memberlist security.go).
 */
package dev.gossip.core.security;
