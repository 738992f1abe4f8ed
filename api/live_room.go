package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// roomSizeRequest is a session's settings the facilitator may change.
type roomSizeRequest struct {
	// RoomSize is how many people are in the room; null clears it.
	RoomSize *int `json:"room_size"`
}

// SetRoomSize records how many people are in the room, so the console and
// the projector can flag a round with more voters than people.
func (a *LiveAPI) SetRoomSize(c *gin.Context) {
	var req roomSizeRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	ctx := c.Request.Context()
	sess, err := a.Store.SetRoomSize(ctx, p.OrganizationID, &p.User, c.Param("id"), req.RoomSize)
	if err != nil {
		abort(c, liveError(err))
		return
	}
	a.Hub.SessionChanged(ctx, sess)
	c.JSON(http.StatusOK, sess)
}

// AddSharedDevice issues the key of one shared tablet: the console shows
// it as a link, and only a tablet opened from it may start a new person
// after each vote. The key is shown once.
func (a *LiveAPI) AddSharedDevice(c *gin.Context) {
	p := principal(c)
	key, err := a.Store.AddSharedDevice(c.Request.Context(), p.OrganizationID, &p.User, c.Param("id"))
	if err != nil {
		abort(c, liveError(err))
		return
	}
	c.JSON(http.StatusCreated, gin.H{"key": key})
}
