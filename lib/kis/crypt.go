package kis

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"fmt"
)

// NoticeKey is the AES key and IV a subscribe ack hands out (§7.3). They are
// used as the UTF-8 bytes of the strings, not base64-decoded.
type NoticeKey struct {
	Key string // 32 characters → AES-256
	IV  string // 16 characters
}

// Decrypt turns the base64 payload of an encrypted frame into the plain
// '^'-joined record text: base64 → AES-256-CBC → strip PKCS#7.
func (k NoticeKey) Decrypt(payload []byte) ([]byte, error) {
	if len(k.Key) != 32 || len(k.IV) != aes.BlockSize {
		return nil, fmt.Errorf("kis decrypt: key/iv of %d/%d bytes, want 32/16", len(k.Key), len(k.IV))
	}
	ct := make([]byte, base64.StdEncoding.DecodedLen(len(payload)))
	n, err := base64.StdEncoding.Decode(ct, payload)
	if err != nil {
		return nil, fmt.Errorf("kis decrypt: base64: %w", err)
	}
	ct = ct[:n]
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("kis decrypt: ciphertext of %d bytes is not whole blocks", len(ct))
	}
	block, err := aes.NewCipher([]byte(k.Key))
	if err != nil {
		return nil, fmt.Errorf("kis decrypt: %w", err)
	}
	cipher.NewCBCDecrypter(block, []byte(k.IV)).CryptBlocks(ct, ct)
	pad := int(ct[len(ct)-1])
	if pad == 0 || pad > aes.BlockSize || pad > len(ct) {
		return nil, fmt.Errorf("kis decrypt: bad padding (wrong key or iv?)")
	}
	for _, c := range ct[len(ct)-pad:] {
		if int(c) != pad {
			return nil, fmt.Errorf("kis decrypt: bad padding (wrong key or iv?)")
		}
	}
	return ct[:len(ct)-pad], nil
}

// Encrypt is the inverse of Decrypt: PKCS#7 pad, AES-256-CBC, base64. The
// protocol server uses it; a client never needs to.
func (k NoticeKey) Encrypt(plain []byte) ([]byte, error) {
	if len(k.Key) != 32 || len(k.IV) != aes.BlockSize {
		return nil, fmt.Errorf("kis encrypt: key/iv of %d/%d bytes, want 32/16", len(k.Key), len(k.IV))
	}
	block, err := aes.NewCipher([]byte(k.Key))
	if err != nil {
		return nil, fmt.Errorf("kis encrypt: %w", err)
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	buf := make([]byte, len(plain)+pad)
	copy(buf, plain)
	for i := len(plain); i < len(buf); i++ {
		buf[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, []byte(k.IV)).CryptBlocks(buf, buf)
	out := make([]byte, base64.StdEncoding.EncodedLen(len(buf)))
	base64.StdEncoding.Encode(out, buf)
	return out, nil
}
