/**
 * TPM 2.0 for EST's {@code /tpmenroll}: the structures that travel on the wire (TPMT_PUBLIC,
 * names), MakeCredential for the server (TPM 2.0 Part 1 §24) and, for clients, a command layer over
 * a TPM character device, swtpm's Unix socket or its TCP port.
 */
package org.est4j.tpm;
